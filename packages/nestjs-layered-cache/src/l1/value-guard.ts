/**
 * L1 hands the same stored value to every caller, so a caller must not be able to change what the
 * next caller reads. Plain data (objects, arrays, primitives) is deep-frozen once when stored and
 * then shared: a hit costs nothing. Values holding Date, Map, Set or binary data cannot be frozen
 * (their contents live in internal slots), so those are cloned on every read instead.
 */
export function freezeIfPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object' || freezePlain(value);
}

/**
 * Freezes each object as it reaches it, then walks its children: a frozen object was reached
 * before (the value is fresh from the decoder, nothing in it was frozen by anyone else), which
 * ends cycles and shared references without a visited set. Twice as fast as collecting the graph
 * first, and this runs on every L2 read. On the first object that is not plain data it stops: the
 * value is then cloned per read, and what it froze by then is never handed out.
 */
function freezePlain(value: object): boolean {
  if (Object.isFrozen(value)) return true;
  if (!Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
  }
  Object.freeze(value);
  // Own keys, not indices, for arrays too: v8's format keeps an array's named properties.
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !freezePlain(child)) return false;
  }
  return true;
}

/** A structural copy of what the serializer can produce; faster than a second deserialize. */
export function cloneValue<T>(value: T, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  let copy: unknown;
  if (Array.isArray(value)) {
    const arr: unknown[] = new Array(value.length);
    seen.set(value, arr);
    for (let i = 0; i < value.length; i++) arr[i] = cloneValue(value[i], seen);
    copy = arr;
  } else if (value instanceof Date) {
    copy = new Date(value.getTime());
  } else if (value instanceof Map) {
    const map = new Map();
    seen.set(value, map);
    for (const [k, v] of value) map.set(cloneValue(k, seen), cloneValue(v, seen));
    copy = map;
  } else if (value instanceof Set) {
    const set = new Set();
    seen.set(value, set);
    for (const v of value) set.add(cloneValue(v, seen));
    copy = set;
  } else if (Buffer.isBuffer(value)) {
    copy = Buffer.from(value);
  } else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    copy = structuredClone(value);
  } else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    const obj: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null);
    seen.set(value, obj);
    for (const key of Object.keys(value)) {
      const child = cloneValue((value as Record<string, unknown>)[key], seen);
      // Assigning an own `__proto__` key would set the copy's prototype instead of copying it.
      if (key === '__proto__')
        Object.defineProperty(obj, key, { value: child, writable: true, enumerable: true, configurable: true });
      else obj[key] = child;
    }
    copy = obj;
  } else {
    copy = structuredClone(value);
  }
  seen.set(value, copy);
  return copy as T;
}

/** The value of an entry, safe to hand to a caller: the frozen original or a fresh copy. */
export function valueOf<T>(entry: { value: unknown; shared: boolean }): T {
  return (entry.shared ? entry.value : cloneValue(entry.value)) as T;
}
