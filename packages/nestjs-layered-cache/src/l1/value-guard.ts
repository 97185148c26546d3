/**
 * L1 hands the same stored value to every caller, so a caller must not be able to change what the
 * next caller reads. Plain data (objects, arrays, primitives) is deep-frozen once when stored and
 * then shared: a hit costs nothing. Values holding Date, Map, Set or binary data cannot be frozen
 * (their contents live in internal slots), so those are cloned on every read instead.
 */
export function freezeIfPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  const seen = new Set<object>();
  if (!isPlainGraph(value, seen)) return false;
  for (const node of seen) Object.freeze(node);
  return true;
}

function isPlainGraph(value: object, seen: Set<object>): boolean {
  if (seen.has(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  seen.add(value);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !isPlainGraph(child, seen)) return false;
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
