/** The streams and environment a command talks to: the real process, or a test's capture. */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: Record<string, string | undefined>;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Exit codes: 0 success, 1 a failed check or runtime failure, 2 a usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
