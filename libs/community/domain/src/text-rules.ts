import { InvalidCommunityInput, PersonalDataInText } from './community.errors';

/**
 * Free text must not smuggle a resident's contact past the encryption: a mainland mobile number
 * or an 18-character ID number written into a description is refused with a clear code (the
 * privacy transformer would refuse the append anyway, with a less helpful error).
 */
const MOBILE = /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d{9}(?![0-9A-Za-z])/;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

export const looksLikePersonalData = (text: string): boolean => MOBILE.test(text) || ID_NUMBER.test(text);

/** Trimmed text, required unless `optional`, at most `max` characters, free of phones and ID numbers. */
export const cleanText = (field: string, value: unknown, max: number, options: { optional?: boolean } = {}): string => {
  if (value === undefined || value === null) {
    if (options.optional) return '';
    throw new InvalidCommunityInput(`${field} is required`, { field });
  }
  if (typeof value !== 'string') throw new InvalidCommunityInput(`${field} must be text`, { field });
  const text = value.trim();
  if (!options.optional && text.length === 0) throw new InvalidCommunityInput(`${field} is required`, { field });
  if (Array.from(text).length > max) throw new InvalidCommunityInput(`${field} is longer than ${max} characters`, { field, max });
  if (looksLikePersonalData(text)) throw new PersonalDataInText(field);
  return text;
};

/** References to stored photos (object-store keys or URLs), never the pictures themselves. */
export const cleanPhotoRefs = (value: unknown): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidCommunityInput('photoRefs must be a list', { field: 'photoRefs' });
  if (value.length > 20) throw new InvalidCommunityInput('At most 20 photos per step', { field: 'photoRefs' });
  return value.map((ref, i) => {
    if (typeof ref !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,299}$/.test(ref)) {
      throw new InvalidCommunityInput('A photo reference is a storage key or URL without spaces', { field: `photoRefs[${i}]` });
    }
    return ref;
  });
};
