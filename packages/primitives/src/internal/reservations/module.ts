/** The file reservations' event module: its migration, event types and projection. */
import * as EventModule from "../../EventModule.js"
import { FilesReleased, FilesReserved } from "./events.js"
import { migration } from "./migrations/0001_file_reservations.js"
import { reservationsProjection } from "./projection.js"

export const ReservationsModule = EventModule.make({
  name: "file_reservations",
  migrations: [migration],
  events: [FilesReserved, FilesReleased],
  projections: [reservationsProjection]
})
