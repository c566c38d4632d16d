import { defineProjection, type Projection } from '@gongzhi/projections';
import { isSubjectId } from '../keys/subject-id';
import type { PersonalDataColumns } from './personal-data-columns';

/**
 * The read-store side of an erasure, driven by the log: on SubjectErased, clear every declared
 * personal-data column of the subject. The erasure service already does this in the process
 * that forgets someone; this projection covers every other read store (another deployment,
 * a read-model service) and a crash between the event and the clearing. It owns no tables.
 * Rebuilt projections need no help: their events decrypt to Erased once the keys are gone.
 */
export const subjectErasureProjection = (columns: PersonalDataColumns): Projection =>
  defineProjection({
    name: 'privacy.subject-erasure',
    version: 1,
    handles: ['SubjectErased'],
    entities: [],
    apply: async (events, em) => {
      for (const e of events) {
        const subjectId = (e.data as { subjectId?: unknown }).subjectId;
        if (isSubjectId(subjectId)) await columns.erase(em, subjectId);
      }
    },
  });

/** Token under which PrivacyModule provides the projection, for the app's projection registry. */
export const SUBJECT_ERASURE_PROJECTION = Symbol('SUBJECT_ERASURE_PROJECTION');
