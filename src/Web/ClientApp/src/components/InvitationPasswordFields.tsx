import { maxPasswordLength } from '../logic/passwords';

/**
 * The password an invitation link asks for. An account the email has already is joined with its own password, typed once
 * (and offered by password managers as the current one); a new account's password is chosen and typed twice.
 */
export function InvitationPasswordFields({
  existingAccount,
  password,
  confirmation,
  onPassword,
  onConfirmation,
}: {
  existingAccount: boolean;
  password: string;
  confirmation: string;
  onPassword: (password: string) => void;
  onConfirmation: (confirmation: string) => void;
}) {
  return (
    <>
      <label>
        {existingAccount ? 'Password' : 'New password'}
        <input
          type="password" maxLength={maxPasswordLength}
          name="password"
          autocomplete={existingAccount ? 'current-password' : 'new-password'}
          required
          value={password}
          onInput={(e) => onPassword(e.currentTarget.value)}
        />
      </label>
      {!existingAccount && (
        <label>
          Repeat the password
          <input
            type="password" maxLength={maxPasswordLength}
            name="confirmation"
            autocomplete="new-password"
            required
            value={confirmation}
            onInput={(e) => onConfirmation(e.currentTarget.value)}
          />
        </label>
      )}
    </>
  );
}
