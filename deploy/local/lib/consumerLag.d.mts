// Types of consumerLag.mjs for the TypeScript tests that import it.
export interface GroupLag {
  readonly group: string;
  readonly lag: number;
  readonly topics: string[];
}
export declare const consumerLag: (brokers: string[], options?: { groups?: string[] }) => Promise<GroupLag[]>;
export declare const describeLag: (rows: readonly GroupLag[], shown?: number) => string;
export declare const lagClause: (brokers: string[]) => Promise<string>;
