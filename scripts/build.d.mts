// Types of scripts/build.mjs for the TypeScript callers (the vitest global setup, the benchmarks).
export declare const ROOT: string;
export declare const DIST: string;
export declare function buildIsFresh(): boolean;
export declare function build(options?: { quiet?: boolean }): Promise<number>;
export declare function ensureBuild(options?: { quiet?: boolean }): Promise<void>;
