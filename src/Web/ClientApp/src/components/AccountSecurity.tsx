import { rolesOf } from '../logic/roles';
import type { Me } from '../types';
import { ClinicSecuritySettings } from './ClinicSecuritySettings';
import { EhrIntegrations } from './EhrIntegrations';
import { TwoStepSignIn } from './TwoStepSignIn';
import { PasskeySettings } from './PasskeySettings';
import { PasswordAndSignIn } from './PasswordAndSignIn';
import { useSensitiveWindow } from './useSensitiveWindow';

/**
 * Staff "Security" page: their own two-step sign-in, passkeys, password and sessions and, for Admins, their clinics'
 * requirement and EHR integrations.
 * While enrolment is required it is the only page there is (the server refuses everything else).
 */
export function AccountSecurity({ me, onChanged }: { me: Me; onChanged: (me: Me | null) => void }) {
  const verification = useSensitiveWindow(me.sensitiveUntil);
  return (
    <div class="account-security">
      <h1>Security</h1>
      {me.totpEnrolmentRequired && (
        <p role="alert" class="enrolment-notice">
          Your clinic requires two-step sign-in. Set up an authenticator app to continue.
        </p>
      )}
      <TwoStepSignIn onChanged={onChanged} />
      {!me.totpEnrolmentRequired && (
        <PasskeySettings
          verifiedUntil={verification.until}
          reauthenticate={verification.reauthenticate}
          reauthenticateWithPasskey={verification.reauthenticateWithPasskey}
        />
      )}
      {!me.totpEnrolmentRequired && <PasswordAndSignIn />}
      {!me.totpEnrolmentRequired && rolesOf(me).adminClinics.map((clinic) => <ClinicSecuritySettings key={clinic.clinicId} clinic={clinic} />)}
      {!me.totpEnrolmentRequired && rolesOf(me).adminClinics.map((clinic) => <EhrIntegrations key={clinic.clinicId} clinic={clinic} />)}
    </div>
  );
}
