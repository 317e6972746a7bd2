export const root: string;
export function bin(name: string): string;
export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void>;
export function buildIfNeeded(opts?: { force?: boolean }): Promise<boolean>;
