/**
 * Given / when / then for deciders: given the facts already recorded, when a command arrives,
 * then these events are decided (or this typed error is thrown). The facts are folded with the
 * decider's own `evolve` from its `initialState`, as the command handler folds what it loads.
 */
import { expect } from 'vitest';
import type { Command, CommandMetadata } from '../../src/commands/commandContext.js';
import type { Decider, Decision, Fact } from '../../src/domain/decider.js';
import { currentSchemaVersion, validateEventData } from '../../src/domain/events/catalogue.js';
import { T0 } from './arbitraries.js';

export const TEST_ORIGIN = { actor: 'tester', correlationId: 'corr-1', source: 'test' };

/**
 * A command with test metadata: `now` is T0, and ids are `id-1`, `id-2`, … in the order the
 * decision asks for them, so expected events can name them.
 */
export const command = <Data>(data: Data, metadata: Partial<Omit<CommandMetadata, 'nextId'>> = {}): Command<Data> => {
  let n = 0;
  return { data, metadata: { origin: TEST_ORIGIN, now: T0, nextId: () => `id-${++n}`, ...metadata } };
};

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** Whatever a decider decides must be an event the ledger's catalogue accepts, at its current version. */
const expectValidEvents = (events: readonly Decision[]): void => {
  for (const e of events) {
    const v = validateEventData(e.type, e.data);
    expect(v.ok ? 'valid' : `${e.type}: ${v.reason}`).toBe('valid');
    expect(e.schemaVersion).toBe(currentSchemaVersion(e.type));
  }
};

export const deciderSpec = <C, S>(decider: Decider<C, S>) => ({
  given: (facts: readonly Fact[] = []) => ({
    when: (cmd: C) => {
      const decide = (): readonly Decision[] => decider.decide(cmd, facts.reduce(decider.evolve, decider.initialState()));
      return {
        /** Exactly these events, or events that pass `check`; either way, valid catalogue events. */
        then: (expected: readonly Decision[] | ((events: readonly Decision[]) => void)): readonly Decision[] => {
          const events = decide();
          expectValidEvents(events);
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
        /** No event: the command was already carried out (an idempotent retry). */
        thenNothingHappened: (): void => {
          expect(decide()).toEqual([]);
        },
        /** The decision throws an `errorType`, whose message matches `message` when given. */
        thenThrows: <E extends Error>(errorType: ErrorClass<E>, message?: RegExp): E => {
          let thrown: unknown;
          try {
            decide();
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeInstanceOf(errorType);
          if (message !== undefined) expect((thrown as E).message).toMatch(message);
          return thrown as E;
        },
      };
    },
  }),
});
