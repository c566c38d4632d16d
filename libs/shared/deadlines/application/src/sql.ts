/** Escapes LIKE wildcards so a prefix is matched literally (pair with `ESCAPE '\'`). */
export const escapeLikePattern = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);
