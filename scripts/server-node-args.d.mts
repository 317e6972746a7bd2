export declare const DEFAULT_WEB_MAX_OLD_SPACE_MB: number;
/** The Node flags of the web server process (see server-node-args.mjs). */
export declare function serverNodeArgs(env?: Record<string, string | undefined>): string[];
