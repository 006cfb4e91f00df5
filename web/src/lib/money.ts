// Amounts arrive as exact decimal strings in an advertiser's currency; they are shown in that
// currency with the viewer's number conventions (a formatter per currency, made once).
const formats = new Map<string, Intl.NumberFormat>();
const plain = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const counts = new Intl.NumberFormat();

export function formatMoney(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount == null || amount === '') return '—';
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  if (!currency) return plain.format(value);
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      // A code Intl does not know: the number and the code beside it.
      return `${plain.format(value)} ${currency}`;
    }
    formats.set(currency, format);
  }
  return format.format(value);
}

/** A BigInt count (a decimal string) with grouping; exact below 2^53, which daily counts are. */
export function formatCount(value: string | number | null | undefined): string {
  if (value == null || value === '') return '—';
  return counts.format(Number(value));
}
