/**
 * The one shape of a command's business logic. A decider is three pure functions: `decide` turns
 * a command and the state into the events to append (or throws a typed domain error from
 * errors.ts), `evolve` folds one recorded fact into the state, and `initialState` is the state
 * before any fact. The command handler loads the facts, folds them with `evolve`, calls `decide`
 * and appends with the expected version; a test states the same thing as given / when / then.
 */
import type { NewEvent } from './events/envelope.js';
import type { EventData, EventType } from './events/catalogue.js';

/** What `evolve` reads: the type and data of an event, recorded or just decided. */
export type Fact = { [T in EventType]: { readonly type: T; readonly data: EventData<T> } }[EventType];

/** What `decide` returns: a new event of the catalogue, ready for the ledger. */
export type Decision = { [T in EventType]: NewEvent<T, EventData<T>> }[EventType];

export interface Decider<Command, State> {
  /** The events the command causes in this state; [] when there is nothing left to do (a retry). */
  readonly decide: (command: Command, state: State) => readonly Decision[];
  readonly evolve: (state: State, fact: Fact) => State;
  readonly initialState: () => State;
}

/**
 * A decider whose decision depends on nothing recorded: the command alone says what happens, and
 * a repeat is caught by the events' dedup keys in the ledger, not by state.
 */
export const statelessDecider = <Command>(decide: (command: Command) => readonly Decision[]): Decider<Command, null> => ({
  decide: (command) => decide(command),
  evolve: () => null,
  initialState: () => null,
});
