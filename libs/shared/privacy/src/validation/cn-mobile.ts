/**
 * Mainland China mobile numbers: 11 digits, `1` then 3–9 (MIIT numbering plan). A +86 / 0086
 * country prefix and the usual separators are accepted and dropped by `normalizeMobile`.
 */
export const normalizeMobile = (raw: string): string => {
  const compact = raw.normalize('NFKC').replace(/[\s\-()]/g, '');
  return compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
};

export const isValidMobile = (raw: string): boolean => typeof raw === 'string' && /^1[3-9]\d{9}$/.test(normalizeMobile(raw));
