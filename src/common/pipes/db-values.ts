/**
 * Limits of the Postgres columns behind the API, checked at the edge: a value past them would
 * otherwise fail inside the database (a 500) instead of being a 400 that names the field.
 */
export const INT32_MAX = 2_147_483_647;
export const INT32_MESSAGE = `must be at most ${INT32_MAX}`;

/** C0 controls but tab, LF and CR, and DEL: Postgres text cannot hold NUL, and none belongs in a name. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const hasNoControlCharacters = (value: string) => !CONTROL_CHARACTERS.test(value);
export const CONTROL_MESSAGE = 'must not contain NUL or other control characters';
