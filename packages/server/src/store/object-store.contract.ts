// The shared contract of every ObjectStore (architecture §3: "a shared contract test suite each").
// Each implementation's own test file calls runObjectStoreContract with a factory that makes a fresh,
// empty store; the suite then checks the promises documented in object-store.ts. This file does not end
// in `.test.ts`, so the runner only executes it through those callers.
import { describe } from 'node:test';
import { runBucketAdminContract } from './contract/bucket-admin-contract.js';
import { runBucketContract } from './contract/bucket-contract.js';
import { runKeyContract } from './contract/key-contract.js';
import { runListContract } from './contract/list-contract.js';
import { runOverwriteContract } from './contract/overwrite-contract.js';
import { runReadContract } from './contract/read-contract.js';
import { runWriteContract } from './contract/write-contract.js';
import type { ContractStoreFactory } from './contract/contract-fixtures.js';

export type {
  ContractStore,
  ContractStoreFactory,
  ContractStoreOptions,
} from './contract/contract-fixtures.js';

/**
 * Registers the contract suite under `name`. `makeStore` is called once per test and must return an
 * empty store; a disk store also returns its `dataDir`, which must be a child of a fresh directory used
 * by nothing else (the suite walks that parent to prove that no write escaped the store).
 */
export function runObjectStoreContract(name: string, makeStore: ContractStoreFactory): void {
  describe(`ObjectStore contract: ${name}`, () => {
    runBucketContract(makeStore);
    runBucketAdminContract(makeStore);
    runWriteContract(makeStore);
    runOverwriteContract(makeStore);
    runReadContract(makeStore);
    runListContract(makeStore);
    runKeyContract(makeStore);
  });
}
