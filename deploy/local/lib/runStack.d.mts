// Types of runStack.mjs for the TypeScript tests that import it.
export interface StackComponent<Ctx> {
  readonly name: string;
  install(ctx: Ctx): Promise<void>;
  start(ctx: Ctx): Promise<void>;
  stop(ctx: Ctx): Promise<void>;
  status(ctx: Ctx): Promise<{ ok: boolean }>;
}
export interface RunStack {
  readonly started: readonly string[];
  readonly alreadyRunning: readonly string[];
  up(): Promise<void>;
  release(options: { keep: boolean }): Promise<string>;
}
export declare const createRunStack: <Ctx>(options: {
  components: ReadonlyArray<StackComponent<Ctx>>;
  contextFor: (c: StackComponent<Ctx>) => Ctx;
  log?: (line: string) => void;
}) => RunStack;
