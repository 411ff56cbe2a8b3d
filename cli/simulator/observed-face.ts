/**
 * A VisitFace that tells the simulator each decision it returns (bench visit's aggregate of
 * genuine scores), otherwise the face part unchanged. The decision goes to a callback in the sim
 * process; it is not logged.
 */
import type { FaceDecision, VisitFace } from '../../firmware/visit/deps.ts';

export function observedFace(face: VisitFace, onDecision: (d: FaceDecision) => void): VisitFace {
  return {
    enrol: (photo, signal) => face.enrol(photo, signal),
    ...(face.begin ? { begin: (o: Parameters<NonNullable<VisitFace['begin']>>[0]) => face.begin!(o) } : {}),
    async verify(o) {
      const d = await face.verify(o);
      onDecision(d);
      return d;
    },
    wipe: () => face.wipe(),
  };
}
