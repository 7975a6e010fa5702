// The shared contract of every MultipartStore (architecture §3: "a shared contract test suite each"),
// reached through ObjectStore.multipart. Each store's own test file calls runMultipartStoreContract with
// the same factory it gives runObjectStoreContract. Not a `.test.ts` file: it only runs through them.
import { describe } from 'node:test';
import { runMultipartCompleteContract } from './contract/multipart-complete-contract.js';
import { runMultipartUploadContract } from './contract/multipart-upload-contract.js';
import type { ContractStoreFactory } from './contract/contract-fixtures.js';

/** Registers the multipart contract under `name`; `makeStore` as for runObjectStoreContract. */
export function runMultipartStoreContract(name: string, makeStore: ContractStoreFactory): void {
  describe(`MultipartStore contract: ${name}`, () => {
    runMultipartUploadContract(makeStore);
    runMultipartCompleteContract(makeStore);
  });
}
