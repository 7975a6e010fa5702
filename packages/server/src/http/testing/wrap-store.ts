// Test helper: a real store with some members replaced (slow bodies, hanging lookups, failures). A Proxy
// rather than a hand-written delegate, so the wrapper keeps up as the ObjectStore interface grows.
import type { ObjectStore } from '../../store/object-store.js';

export function wrapStore(store: ObjectStore, replace: Partial<ObjectStore>): ObjectStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.prototype.hasOwnProperty.call(replace, property)) {
        return Reflect.get(replace, property, receiver) as unknown;
      }
      const value = Reflect.get(target, property, target) as unknown;
      // Methods must run against the real instance: stores keep state in #private fields.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
