// Alibaba Cloud's callback signing key (oss-protocol §9.4): 512-bit RSA, content never changes; VERIFIED
// against the genuine signature in §9.5. Pin it instead of fetching x-oss-pub-key-url (threats §B3).

export const ossCallbackPublicKeyPem = `-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKs/JBGzwUB2aVht4crBx3oIPBLNsjGs
C0fTXv+nvlmklvkcolvpvXLTjaxUHR3W9LXxQ2EHXAJfCB+6H2YF1k8CAwEAAQ==
-----END PUBLIC KEY-----
`;

/** The URLs OSS names in x-oss-pub-key-url (older callbacks http, modern https; §9.2). */
export const ossCallbackPublicKeyUrls = [
  'http://gosspublic.alicdn.com/callback_pub_key_v1.pem',
  'https://gosspublic.alicdn.com/callback_pub_key_v1.pem',
] as const;
