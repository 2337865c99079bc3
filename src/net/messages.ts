/**
 * The protocol's messages as data (contracts.md "Message schemas as data").
 *
 * One entry per step id `<phase>.<paper step number>`; fields carry the paper's names for the
 * patient / hospital A / hospital B roles (Chen et al. 2020, §3.4–3.7). The binary codec
 * (./codec.ts), the diagrams and the conformance checker all read this table; nothing else
 * describes the wire format.
 */

/** Wire field types (contracts.md). */
export type FieldType = 'id' | 'point' | 'scalar' | 'check' | 'ciphertext' | 'signature' | 'bytes';

export type Phase = 'registration' | 'initial' | 'inter';

/** Channel a step travels on: `secure` is the paper's registration channel (§3.1 item 1). */
export type Channel = 'public' | 'secure';

export interface FieldSchema {
  readonly name: string;
  readonly type: FieldType;
}

export interface MessageSchema {
  readonly step: string;
  readonly name: string;
  readonly phase: Phase;
  /** Paper step number whose message this is. */
  readonly paperStep: number;
  /** Roles: 'X' is the registering party; 'P' patient; 'HA' / 'HB' hospitals in their phase roles. */
  readonly from: 'X' | 'CENTER' | 'P' | 'HA' | 'HB';
  readonly to: 'X' | 'CENTER' | 'P' | 'HA' | 'HB';
  readonly channel: Channel;
  /**
   * Paper equations of this step (contracts.md step table): those the sender computes to build the
   * message, and — for the last message of a run — those the receiver computes on it.
   */
  readonly eqs: readonly number[];
  readonly fields: readonly FieldSchema[];
}

const f = <N extends string, T extends FieldType>(name: N, type: T) => ({ name, type }) as const;

/**
 * The schema table. `as const` keeps field names and types literal so that decoded messages are
 * typed per step (see `MessageOf`).
 */
export const MESSAGE_SCHEMAS = {
  'registration.1': {
    step: 'registration.1', name: 'registration request', phase: 'registration', paperStep: 1,
    from: 'X', to: 'CENTER', channel: 'secure', eqs: [],
    fields: [f('ID_X', 'id')],
  },
  'registration.2': {
    step: 'registration.2', name: 'registration reply', phase: 'registration', paperStep: 2,
    from: 'CENTER', to: 'X', channel: 'secure', eqs: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    fields: [f('R_X', 'point'), f('S_X', 'scalar'), f('PK_X', 'point'), f('SK_X', 'scalar')],
  },
  'initial.1': {
    step: 'initial.1', name: 'patient hello to HA', phase: 'initial', paperStep: 1,
    from: 'P', to: 'HA', channel: 'public', eqs: [14],
    fields: [f('ID_PAT', 'id'), f('R_PAT', 'point'), f('T_PAT', 'point')],
  },
  'initial.2': {
    step: 'initial.2', name: 'HA key confirmation', phase: 'initial', paperStep: 2,
    from: 'HA', to: 'P', channel: 'public', eqs: [15, 16, 17, 18, 19, 20],
    fields: [f('ID_HPA', 'id'), f('R_HPA', 'point'), f('T_HPA', 'point'), f('CHK_PA', 'check')],
  },
  'initial.3': {
    step: 'initial.3', name: 'patient symptoms', phase: 'initial', paperStep: 3,
    from: 'P', to: 'HA', channel: 'public', eqs: [21, 22, 23, 24, 25, 26, 27],
    fields: [f('ID_PAT', 'id'), f('c_PAT', 'ciphertext'), f('CHK_AP', 'check')],
  },
  'initial.4': {
    step: 'initial.4', name: 'HA report', phase: 'initial', paperStep: 4,
    from: 'HA', to: 'P', channel: 'public', eqs: [28, 29, 30, 31, 32, 33],
    fields: [f('ID_HPA', 'id'), f('c_HPA', 'ciphertext'), f('Sig_HPA', 'signature')],
  },
  'inter.1': {
    step: 'inter.1', name: 'patient hello to HB', phase: 'inter', paperStep: 1,
    from: 'P', to: 'HB', channel: 'public', eqs: [34],
    fields: [f('ID_PAT', 'id'), f('R_PAT', 'point'), f('T_PAT2', 'point')],
  },
  'inter.2': {
    step: 'inter.2', name: 'HB key confirmation', phase: 'inter', paperStep: 2,
    from: 'HB', to: 'P', channel: 'public', eqs: [35, 36, 37, 38, 39, 40],
    fields: [f('ID_HPB', 'id'), f('R_HPB', 'point'), f('T_HPB', 'point'), f('CHK_PB', 'check')],
  },
  'inter.3': {
    step: 'inter.3', name: 'patient symptoms and index', phase: 'inter', paperStep: 3,
    from: 'P', to: 'HB', channel: 'public', eqs: [41, 42, 43, 44, 45, 46, 47],
    fields: [f('ID_PAT', 'id'), f('c_PAT2', 'ciphertext'), f('CHK_BP', 'check')],
  },
  'inter.5': {
    step: 'inter.5', name: 'HB hello to HA', phase: 'inter', paperStep: 5,
    from: 'HB', to: 'HA', channel: 'public', eqs: [48, 49, 50],
    fields: [f('ID_HPB', 'id'), f('R_HPB', 'point'), f('T_HPB2', 'point')],
  },
  'inter.6': {
    step: 'inter.6', name: 'HA key confirmation to HB', phase: 'inter', paperStep: 6,
    from: 'HA', to: 'HB', channel: 'public', eqs: [51, 52, 53, 54, 55, 56],
    fields: [f('ID_HPA', 'id'), f('R_HPA', 'point'), f('T_HPA2', 'point'), f('CHK_BA', 'check')],
  },
  'inter.7': {
    step: 'inter.7', name: 'HB record request', phase: 'inter', paperStep: 7,
    from: 'HB', to: 'HA', channel: 'public', eqs: [57, 58, 59, 60, 61, 62, 63],
    fields: [f('ID_HPB', 'id'), f('c_HPB', 'ciphertext'), f('CHK_AB', 'check')],
  },
  'inter.8': {
    step: 'inter.8', name: 'HA record transfer', phase: 'inter', paperStep: 8,
    from: 'HA', to: 'HB', channel: 'public', eqs: [64, 65, 66, 67],
    fields: [f('ID_HPA', 'id'), f('c_HPA2', 'ciphertext'), f('Sig_HPA2', 'signature')],
  },
  'inter.10': {
    step: 'inter.10', name: 'HB report', phase: 'inter', paperStep: 10,
    from: 'HB', to: 'P', channel: 'public', eqs: [68, 69, 70, 71, 72, 73],
    fields: [f('ID_HPB', 'id'), f('c_HPB2', 'ciphertext'), f('Sig_HPB', 'signature')],
  },
} as const satisfies Record<string, MessageSchema>;

export type StepId = keyof typeof MESSAGE_SCHEMAS;

/** Steps in protocol order; the index + 1 is the one-byte message tag on the wire. */
export const STEP_IDS = Object.keys(MESSAGE_SCHEMAS) as StepId[];

export function isStepId(s: string): s is StepId {
  return Object.prototype.hasOwnProperty.call(MESSAGE_SCHEMAS, s);
}

export function schemaOf(step: StepId): MessageSchema {
  return MESSAGE_SCHEMAS[step];
}
