/**
 * Trend classes from a horizon's log return: up above θ, down below −θ, sideways between
 * (encoded 0 = down, 1 = sideways, 2 = up, the label order both engines use).
 */
export const TREND_CLASSES = ['down', 'sideways', 'up'] as const;
export type TrendClass = (typeof TREND_CLASSES)[number];

export const trendLabel = (logReturn: number, threshold: number): number => (logReturn > threshold ? 2 : logReturn < -threshold ? 0 : 1);
