// Splits the UDP range between the gateway processes of one machine: disjoint, contiguous slices.

export function portSlices(min: number, max: number, processes: number): [number, number][] {
  const total = max - min + 1;
  if (processes < 1 || total < processes * 2) {
    throw new Error(`UDP ports ${min}–${max} (${total}) cannot be split between ${processes} gateway processes (at least 2 ports each)`);
  }
  const size = Math.floor(total / processes);
  return Array.from({ length: processes }, (_, i) => [min + i * size, i === processes - 1 ? max : min + (i + 1) * size - 1]);
}
