import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { ClinicProfile } from '../types';

/** The clinic's profile as the settings page loaded it: null while on its way; the error when it could not be read. */
export interface ClinicProfileLoad {
  profile: ClinicProfile | null;
  error: unknown;
}

/**
 * One read of the clinic's profile for every section of the settings page that shows part of it (the phone, the topics
 * patients may start with), instead of one read each. Another clinic starts from nothing, never from this one's answer.
 */
export function useClinicProfile(clinicId: string | undefined): ClinicProfileLoad {
  /** The answer and which clinic it is for: until the new clinic's answer is here, the old one's is not shown. */
  const [load, setLoad] = useState<(ClinicProfileLoad & { clinicId: string }) | null>(null);

  useEffect(() => {
    if (!clinicId) {
      return;
    }
    let current = true;
    api.clinicProfile(clinicId).then(
      (profile) => current && setLoad({ clinicId, profile, error: null }),
      (caught: unknown) => current && setLoad({ clinicId, profile: null, error: caught }),
    );
    return () => {
      current = false;
    };
  }, [clinicId]);

  return load && load.clinicId === clinicId ? load : { profile: null, error: null };
}
