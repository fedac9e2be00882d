// Consumer lag per consumer group for `stack status`: each group's committed offsets against the
// end offsets of the topics it committed on (Kafka admin API via kafkajs). A partition with no
// committed offset counts from the partition's start, as a new consumer with fromBeginning would.

const TIMEOUT_MS = 10_000;

/** @returns {Promise<Array<{ group: string, lag: number, topics: string[] }>>} every group, most lagging first */
export const consumerLag = async (brokers, { groups: only } = {}) => {
  // Imported here: `stack up|down` must work before the project's dependencies are installed.
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'tickvault-stack-status', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: TIMEOUT_MS, retry: { retries: 1 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groupIds = only ?? (await admin.listGroups()).groups.map((g) => g.groupId);
    const ends = new Map();
    const endsOf = (topic) => {
      if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(topic).then((ps) => new Map(ps.map((p) => [p.partition, { high: Number(p.high), low: Number(p.low) }]))));
      return ends.get(topic);
    };
    const rows = await Promise.all(
      groupIds.map(async (group) => {
        let lag = 0;
        const topics = [];
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
          if (!partitions.some((p) => Number(p.offset) >= 0)) continue; // never committed on this topic
          topics.push(topic);
          const end = await endsOf(topic);
          for (const p of partitions) {
            const e = end.get(p.partition);
            if (e === undefined) continue;
            const committed = Number(p.offset);
            lag += Math.max(0, e.high - (committed >= 0 ? committed : e.low));
          }
        }
        return { group, lag, topics };
      }),
    );
    return rows.sort((a, b) => b.lag - a.lag || a.group.localeCompare(b.group));
  } finally {
    await admin.disconnect();
  }
};

/** One readable clause: total lag and the most lagging groups, e.g. "3 consumer groups, lag 12 (relay-x 12)". */
export const describeLag = (rows, shown = 5) => {
  if (rows.length === 0) return 'no consumer groups';
  const total = rows.reduce((s, r) => s + r.lag, 0);
  const lagging = rows.filter((r) => r.lag > 0);
  const named = lagging.slice(0, shown).map((r) => `${r.group} ${r.lag}`);
  const more = lagging.length > shown ? `, +${lagging.length - shown} more` : '';
  return `${rows.length} consumer group(s), total lag ${total}${named.length > 0 ? ` (${named.join(', ')}${more})` : ''}`;
};

/** The lag clause for a status line, or why it could not be read; never throws, never hangs. */
export const lagClause = async (brokers) => {
  let timer;
  try {
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS + 2_000)));
    return describeLag(await Promise.race([consumerLag(brokers), timeout]));
  } catch (e) {
    return `consumer lag unknown (${e instanceof Error ? e.message : String(e)})`;
  } finally {
    clearTimeout(timer);
  }
};
