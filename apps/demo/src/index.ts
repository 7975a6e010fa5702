// @upcall/demo: the one-command demo (storage server + app server + page). Exported for the e2e tests
// and for embedding; the demo holds no library logic of its own (architecture §1).
export { createDemoApp, openDemoRecordStore, type DemoApp, type DemoAppOptions } from './create-demo-app.js';
export { defaultDemoLimits, thumbnailContentTypes, type DemoLimits } from './demo-limits.js';
export { demoUserCookieName, readDemoUserId } from './demo-user.js';
export { buildUploadHost, type StorageConnection } from './storage-connection.js';
export { presignObjectUrl, type PresignedObjectUrl } from './storage/presign-object-url.js';
export { createStorageLister, parseListPage } from './storage/create-storage-lister.js';
export type { UploadRecordView } from './routes/create-uploads-route.js';
export {
  startDemoSystem,
  type DemoSystemOptions,
  type RunningDemoSystem,
} from './system/start-demo-system.js';
export {
  startDemoApp,
  serveDemoApp,
  type StartDemoAppOptions,
  type RunningDemoApp,
} from './system/start-demo-app.js';
export {
  openDemoRecords,
  maskDatabaseUrl,
  type DemoRecords,
  type DemoRecordsOptions,
} from './system/open-demo-records.js';
export {
  readExternalStorage,
  readExternalConnection,
  type ExternalStorageSettings,
} from './system/read-external-storage.js';
export { runDemoCli, parseDemoCliArgs, renderDemoBanner, type DemoCliIo } from './system/run-demo-cli.js';
