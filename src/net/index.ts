/**
 * Public API of the wire layer: message schemas (data), the schema-driven binary codec with typed
 * rejections, the adversary-controlled network and the run trace. See docs/model.md.
 */
export * from './messages.js';
export * from './codec.js';
export * from './network.js';
export * from './trace.js';
