/** Models: predictions with their intervals, the live track record against the naive forecast, feature importances. */
import { h, replace } from '../dom.js';
import { figures, load } from '../figures.js';
import type { Cleanup } from '../page.js';

const PRODUCER = 'The model layer records predictions and their track record as ledger events';

export default async function modelsPage(root: HTMLElement): Promise<Cleanup> {
  const [models, predictions, features] = await Promise.all([
    load('/api/v1/models', 'Models and their track record', PRODUCER),
    load('/api/v1/predictions?limit=50', 'Predictions', PRODUCER),
    load('/api/v1/features', 'Features', 'The feature pipeline computes them from the merged candles'),
  ]);
  replace(
    root,
    h('h1', {}, 'Models'),
    h('section', { id: 'models' }, h('h2', {}, 'Models and track record'), models.ok ? figures(models.value) : models.view),
    h('section', { id: 'predictions' }, h('h2', {}, 'Predictions'), predictions.ok ? figures(predictions.value) : predictions.view),
    h('section', { id: 'features' }, h('h2', {}, 'Features and importances'), features.ok ? figures(features.value) : features.view),
  );
  return () => undefined;
}
