export { buildRpcStringToSign, percentEncodeRpc, signRpcRequest } from './rpc-signature.js';
