/**
 * The one way a command is handled: load what the decision depends on, fold it with the
 * decider's `evolve`, `decide`, and append what was decided in one atomic step, guarded by the
 * version of the stream the state was read from.
 */
import type { Decider, Decision } from '../domain/decider.js';
import { upcastEvent } from '../domain/events/catalogue.js';
import type { RecordedEvent } from '../domain/events/envelope.js';
import type { AppendResult, Ledger } from '../domain/ports.js';

export interface Handling<Command, State> {
  readonly decider: Decider<Command, State>;
  readonly command: Command;
  /**
   * The stream the state is read from; the append expects it unchanged since (no stream yet when
   * it was empty), so two concurrent decisions cannot both pass. None for a stateless decider.
   */
  readonly stream?: string;
  /** Recorded facts from other streams the decision also depends on, folded before the stream's. */
  readonly context?: Promise<readonly RecordedEvent[]>;
}

export interface Handled {
  readonly decided: readonly Decision[];
  /** The ledger's answer; undefined when nothing was decided, so nothing was appended. */
  readonly result: AppendResult | undefined;
}

export const handleCommand = async <Command, State>(ledger: Ledger, handling: Handling<Command, State>): Promise<Handled> => {
  const { decider, command, stream } = handling;
  const [context, recorded] = await Promise.all([
    handling.context ?? [],
    stream === undefined ? [] : ledger.readStream(stream),
  ]);
  let state = decider.initialState();
  for (const event of [...context, ...recorded]) {
    const fact = upcastEvent(event);
    if (fact !== undefined) state = decider.evolve(state, fact);
  }
  const decided = decider.decide(command, state);
  if (decided.length === 0) return { decided, result: undefined };
  const version = recorded.length === 0 ? 0 : recorded[recorded.length - 1]!.streamVersion;
  const options = stream === undefined ? undefined : { expected: { [stream]: version === 0 ? ('no_stream' as const) : version } };
  return { decided, result: await ledger.append(decided, options) };
};

/** The first decided event of one type: how a handler reads back what it created (a rule id, a request id). */
export const decidedOfType = <T extends Decision['type']>(decided: readonly Decision[], type: T): Extract<Decision, { type: T }> | undefined =>
  decided.find((e): e is Extract<Decision, { type: T }> => e.type === type);
