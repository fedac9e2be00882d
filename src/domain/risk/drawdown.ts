/** Maximum drawdown of the value path V_0 = 1, V_t = Π(1 + r): min_t V_t / max_{s≤t} V_s − 1, in [−1, 0]. */
export const maxDrawdown = (returns: readonly number[]): number => {
  let value = 1;
  let peak = 1;
  let worst = 0;
  for (const r of returns) {
    value *= 1 + r;
    if (value > peak) peak = value;
    const dd = value / peak - 1;
    if (dd < worst) worst = dd;
  }
  return worst;
};
