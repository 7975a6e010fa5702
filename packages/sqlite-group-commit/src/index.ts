export { SqliteGroupCommit, type GroupCommitStats } from './sqlite-group-commit.js';
