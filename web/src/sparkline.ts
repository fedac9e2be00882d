/** A small SVG line of closing prices, coloured by the direction over the span. */
const SVG = 'http://www.w3.org/2000/svg';

export const sparkline = (values: readonly number[], width = 120, height = 28): SVGSVGElement => {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'spark');
  if (values.length < 2) {
    svg.setAttribute('aria-label', 'not enough history yet');
    return svg;
  }
  const lo = Math.min(...values);
  const span = Math.max(...values) - lo || 1;
  const points = values.map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - 2 - ((v - lo) / span) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', values[values.length - 1]! >= values[0]! ? 'up' : 'down');
  svg.setAttribute('aria-label', `price from ${values[0]} to ${values[values.length - 1]}`);
  svg.append(line);
  return svg;
};
