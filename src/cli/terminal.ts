/**
 * What the CLI does differently on a terminal: colour and progress bars. Both only when the
 * stream is a TTY; colour also honours NO_COLOR (https://no-color.org) and TERM=dumb, and
 * FORCE_COLOR=1 switches it on for a pipe. Output into a pipe or file is plain text.
 */
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

/** cli-progress is loaded only when a bar is drawn (start-up of `bantam --version`, `derive`). */
const loadCliProgress = (): typeof CliProgress => createRequire(import.meta.url)('cli-progress') as typeof CliProgress;

export interface StreamLike {
  isTTY?: boolean;
}

/** Whether to colour what goes to `stream`, from the environment (injected for tests). */
export function colourEnabled(stream: StreamLike, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

const RED = ['\x1b[31m', '\x1b[39m'] as const;
const GREEN = ['\x1b[32m', '\x1b[39m'] as const;
const YELLOW = ['\x1b[33m', '\x1b[39m'] as const;

/** Verdict words as the commands print them (one line per verdict): failures red, successes green. */
const VERDICT_WORDS: readonly [RegExp, readonly [string, string]][] = [
  [/\b(REFUTED|FAIL|FAILS|FAILED|DIFFER|DIFFERS|REJECT|ABORTS|STALE|NOT derived|DOES NOT VERIFY|REFUSED)\b/g, RED],
  [/(?<=^\s*|: |^[\w-]+ +)(ok|holds|derived|AGREED|VALID|valid)\b/gm, GREEN],
  [/(?<=^\s*)(find|info|n\/a)\b/gm, YELLOW],
];

/** The text with its verdict words coloured (ANSI); the words themselves are unchanged. */
export function colourVerdicts(text: string): string {
  let out = text;
  for (const [re, [on, off]] of VERDICT_WORDS) out = out.replace(re, (w) => `${on}${w}${off}`);
  return out;
}

export interface Progress {
  /** done of total units; `label` says what is being done now. */
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr when stderr is a terminal (cli-progress), else nothing: a pipe or a
 * log file gets no bar lines. `enabled` lets tests and --json callers switch it off.
 */
export function progressBar(title: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return SILENT;
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${title} [{bar}] {value}/{total} {label} ({duration}s)`,
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label = '') {
      if (!started) {
        bar.start(Math.max(total, 1), done, { label });
        started = true;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
