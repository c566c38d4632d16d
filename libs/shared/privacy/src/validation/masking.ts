/**
 * Display masks for personal data (GB/T 35273 "去標識化" style): enough to tell records apart on a
 * screen, not enough to identify the person. A masked value is still derived personal data, so
 * read models that store one declare it for erasure (PersonalDataColumns).
 */

const stars = (n: number): string => '*'.repeat(Math.max(0, n));
const chars = (s: string): string[] => Array.from(s);

/** `440305199001011234` → `4403**********1234`: region prefix and last four kept. */
export const maskIdNumber = (value: string): string => {
  const c = chars(value.trim());
  if (c.length <= 8) return stars(c.length);
  return c.slice(0, 4).join('') + stars(c.length - 8) + c.slice(-4).join('');
};

/** `13812345678` → `138****5678`; other lengths keep only the last four. */
export const maskPhone = (value: string): string => {
  const c = chars(value.trim());
  if (c.length === 11) return c.slice(0, 3).join('') + stars(4) + c.slice(-4).join('');
  if (c.length <= 4) return stars(c.length);
  return stars(c.length - 4) + c.slice(-4).join('');
};

/** `張三明` → `張*明`, `張三` → `張*`, `歐陽小明` → `歐**明`. */
export const maskName = (value: string): string => {
  const c = chars(value.trim());
  if (c.length <= 1) return stars(c.length);
  if (c.length === 2) return c[0] + stars(1);
  return c[0] + stars(c.length - 2) + c[c.length - 1];
};

/** Keeps the first six characters (province and city), masks the rest with a fixed-width tail. */
export const maskAddress = (value: string): string => {
  const c = chars(value.trim());
  if (c.length <= 6) return stars(c.length);
  return c.slice(0, 6).join('') + stars(4);
};

/** Free text reveals nothing: a fixed mask whatever its length. */
export const maskText = (_value: string): string => '***';

export type PersonalDataKind = 'idNumber' | 'phone' | 'name' | 'address' | 'text';

export const PERSONAL_DATA_KINDS: readonly PersonalDataKind[] = ['idNumber', 'phone', 'name', 'address', 'text'];

export const maskFor = (kind: PersonalDataKind, value: string): string => {
  switch (kind) {
    case 'idNumber':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
    case 'name':
      return maskName(value);
    case 'address':
      return maskAddress(value);
    case 'text':
      return maskText(value);
  }
};
