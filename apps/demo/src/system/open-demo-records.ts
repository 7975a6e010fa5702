// Where the demo keeps its upload records: SQLite in `<dataDir>/demo/uploads.sqlite` by default (one app
// process), app-kit's PostgreSQL store when a database URL is given (DATABASE_URL), so several demo app
// instances behind a load balancer share one set of records (docs/scale-out.md, docs/adr/0006).
import { PostgresUploadRecordStore, type UploadRecordStore } from '@upcall/app-kit';
import { openDemoRecordStore } from '../create-demo-app.js';

export interface DemoRecordsOptions {
  readonly dataDir: string;
  /** `postgres://…`; undefined or empty = SQLite in the data dir. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema of the `upload_records` table (created if missing). Default 'public'. */
  readonly databaseSchema?: string;
  /** Errors of idle pooled PostgreSQL connections (a restarted database); logged, never fatal. */
  readonly onDatabaseError?: (error: Error) => void;
}

export interface DemoRecords {
  readonly store: UploadRecordStore;
  readonly kind: 'sqlite' | 'postgres';
  /** For the start banner: the file, or the database URL with any password masked, and the table. */
  readonly description: string;
}

/** The URL without its password: the banner is printed to terminals and CI logs. */
export function maskDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function openDemoRecords(options: DemoRecordsOptions): DemoRecords {
  const { databaseUrl } = options;
  if (databaseUrl === undefined || databaseUrl.trim() === '') {
    return {
      store: openDemoRecordStore(options.dataDir),
      kind: 'sqlite',
      description: `SQLite ${options.dataDir}/demo/uploads.sqlite`,
    };
  }
  const schema = options.databaseSchema ?? 'public';
  const store = new PostgresUploadRecordStore({
    connectionString: databaseUrl,
    schema,
    onPoolError: options.onDatabaseError ?? (() => undefined),
  });
  return {
    store,
    kind: 'postgres',
    description: `PostgreSQL ${maskDatabaseUrl(databaseUrl)} (table ${schema}.upload_records)`,
  };
}
