/**
 * What Identity's password policy asks for (the server's options: 8 characters, and one each of upper case, lower
 * case, digit and symbol), said the same way on every page that sets a password, so nobody learns a rule only by failing it.
 */
export const passwordRule = 'at least 8 characters, with an upper-case letter, a lower-case letter, a digit and a symbol such as ! or #';

/** The longest password the server takes (AuthApi.MaxPasswordLength): the fields stop there instead of being refused. */
export const maxPasswordLength = 256;
