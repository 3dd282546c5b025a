/** What a server outside development mode needs besides `smtpUrl`. */
export const PRODUCTION = {
  administratorEmail: "Owner@Example.test",
  mailFrom: "Example <no-reply@example.test>",
  administratorPassword: "a long administrator passphrase",
  supportKey: "a support key of some length",
};
