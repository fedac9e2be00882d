/** The part of autocannon's API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
  interface Histogram {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
  }
  interface Result {
    readonly requests: Histogram;
    readonly latency: Histogram;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    /** Answers per status code. */
    readonly statusCodeStats?: Readonly<Record<string, { readonly count: number }>>;
  }
  interface Request {
    readonly method?: string;
    readonly path?: string;
    readonly headers?: Readonly<Record<string, string>>;
  }
  interface Options {
    readonly url: string;
    readonly duration?: number;
    readonly connections?: number;
    readonly overallRate?: number;
    readonly headers?: Readonly<Record<string, string>>;
    /** Each request in turn; `setupRequest` may rewrite one before it is sent (e.g. a different query). */
    readonly requests?: ReadonlyArray<{ readonly setupRequest?: (req: Request) => Request }>;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
