/** SHA-256 (hex) of a view's canonical JSON (sorted keys, no white space): what BatchViewPublished commits to. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/events/canonical.js';

export const contentHash = (content: unknown): string => createHash('sha256').update(canonicalJson(content)).digest('hex');
