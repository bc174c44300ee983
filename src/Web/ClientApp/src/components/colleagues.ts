import { api } from '../api';
import type { Colleague } from '../types';

/** Colleagues per clinic, fetched once per page load (they change only when an Admin changes the staff). */
const colleaguesByClinic = new Map<string, Promise<Colleague[]>>();

/**
 * The clinic's clinicians, front desk and Billing staff: whom a thread is assigned to, and whom a note can mention (which
 * of them a thread offers depends on its topic: see colleaguesFor).
 */
export function colleaguesOf(clinicId: string): Promise<Colleague[]> {
  let found = colleaguesByClinic.get(clinicId);
  if (!found) {
    found = api.colleagues(clinicId).catch((error: unknown) => {
      colleaguesByClinic.delete(clinicId);
      return Promise.reject(error);
    });
    colleaguesByClinic.set(clinicId, found);
  }
  return found;
}
