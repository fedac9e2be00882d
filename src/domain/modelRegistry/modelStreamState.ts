/**
 * What a command about one model decides from: its stream folded (versions trained, where each
 * alias points). Small and immutable, for the deciders; the read model keeps the full registry.
 */
import type { Fact } from '../decider.js';
import type { ModelTrainedData } from '../events/models.js';

export interface ModelStreamState {
  /** Trained versions, oldest first (version n at index n − 1). */
  readonly versions: readonly ModelTrainedData[];
  readonly aliases: Readonly<Record<string, number>>;
}

export const initialModelStreamState = (): ModelStreamState => ({ versions: [], aliases: {} });

export const evolveModelStream = (state: ModelStreamState, fact: Fact): ModelStreamState => {
  if (fact.type === 'ModelTrained') return { ...state, versions: [...state.versions, fact.data] };
  if (fact.type === 'ModelAliasSet') {
    const aliases = { ...state.aliases };
    if (fact.data.version === null) delete aliases[fact.data.alias];
    else aliases[fact.data.alias] = fact.data.version;
    return { ...state, aliases };
  }
  return state;
};
