// Types for processes.mjs, for the tests written in TypeScript.
export declare const isAlive: (pid: number) => boolean;
export declare const readPid: (pidFile: string) => number | undefined;
export declare const runningPid: (pidFile: string) => number | undefined;
export declare const startDetached: (options: { cmd: string; args: readonly string[]; env?: Record<string, string>; cwd?: string; logFile: string; pidFile: string }) => number;
export declare const stopByPidFile: (pidFile: string, graceMs?: number) => Promise<boolean>;
