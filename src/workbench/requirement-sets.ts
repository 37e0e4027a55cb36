/** Office requirement-set versions are major.minor pairs compared as numbers: 1.17 is later than 1.7. */
export function versionAtMost(wanted: string, available: string): boolean {
  const parse = (v: string): [number, number] | undefined => {
    const m = /^(\d{1,4})(?:\.(\d{1,4}))?$/.exec(v.trim());
    return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
  };
  const w = parse(wanted);
  const a = parse(available);
  if (!w || !a) return false;
  return w[0] < a[0] || (w[0] === a[0] && w[1] <= a[1]);
}
