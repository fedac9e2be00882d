// Types for goTools.mjs, for the tests written in TypeScript.
interface ToolOptions { dir?: string; log?: (line: string) => void }
export declare const HELM_MODULE: string;
export declare const HELM_VERSION: string;
export declare const toolsDir: (env?: NodeJS.ProcessEnv) => string;
export declare const findGo: () => string | undefined;
export declare const ensureHelm: (options?: ToolOptions) => Promise<string>;
export declare const ensureManifestValidator: (options?: ToolOptions) => Promise<string>;
