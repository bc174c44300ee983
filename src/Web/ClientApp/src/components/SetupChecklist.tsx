import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { setupSteps, type SetupStep } from '../logic/setup';
import { staffApi } from '../staffApi';
import type { Membership } from '../types';

/**
 * What is left to set up at a clinic the user administers, on their home page (found on a walk: a clinic's first Admin,
 * created by the operator, landed on an Audit log of four rows with nothing to say what comes first, while the clinic
 * had no hours, no phone and no one to answer patients). Each step links to where it is done and is ticked once done
 * (read again each time the page is shown); the list goes once nothing is left. Nothing shows while it loads or if it
 * cannot be read: the page works without it.
 */
export function SetupChecklist({ clinic, myUserId }: { clinic: Membership; myUserId: string }) {
  const [steps, setSteps] = useState<SetupStep[] | null>(null);
  useEffect(() => {
    let current = true;
    setSteps(null);
    Promise.all([api.officeHours(clinic.clinicId), api.clinicProfile(clinic.clinicId), staffApi.roster(clinic.clinicId)]).then(
      ([hours, profile, roster]) => current && setSteps(setupSteps(hours, profile, roster, myUserId)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [clinic.clinicId, myUserId]);

  if (!steps || steps.every((step) => step.done)) {
    return null;
  }
  const left = steps.filter((step) => !step.done).length;
  const titleId = `setup-${clinic.clinicId}`;
  return (
    <section class="setup-checklist" aria-labelledby={titleId}>
      <h2 id={titleId}>Finish setting up {clinic.clinicName}</h2>
      <p class="setting-help">
        {left === steps.length ? `${left} steps` : left === 1 ? 'One step is left' : `${left} of ${steps.length} steps are left`} before patients and your team are well served.
      </p>
      <ol>
        {steps.map((step) => (
          <li key={step.key} class={step.done ? 'done' : undefined}>
            {step.done ? (
              <>
                <span aria-hidden="true">✓ </span>
                {step.title} <span class="setting-help">(done)</span>
              </>
            ) : (
              <>
                <a href={step.href}>{step.title}</a>
                <span class="setting-help setup-why">{step.why}</span>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
