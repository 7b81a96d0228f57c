import CampusKit
import FluentKit
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Booking (port 8001): the room catalogue and bookings.
public enum BookingServiceModule: CampusServiceModule {
    public static let name = ServiceName.booking

    public static let migrations: [any Migration] = [
        CreateRooms(), CreateBookings(), SeedDefaultRooms(), CreateOutboxEvents(), NeverReuseIDs(table: RoomRecord.schema),
        AddOutboxTraceParent(), CreateCalendarFeeds(), AddBookingRevisions(), CreateRoomClosures(),
        NeverReuseIDs(table: CreateRoomClosures.schema), AddCancelReasons(), AddReminders(), AddCheckIn(), CreateWaitlist(),
        AddRoomFaults(), AddApprovals(),
    ]

    public static func makeApplication(runtime: ServiceRuntime) async throws -> any ApplicationProtocol {
        try await buildApplication(runtime: runtime)
    }
}

/// Builds the booking application. Tests pass their own `database` (a temporary SQLite file or
/// a PostgreSQL schema) and a fixed clock `now`; otherwise the settings choose the database.
/// `accounts` is user management by default (tests of the booking service alone pass their own).
public func buildApplication(
    runtime: ServiceRuntime, database: DatabaseProvider? = nil, accounts: (any AccountDirectory)? = nil,
    now: @escaping @Sendable () -> Date = Date.init
) async throws -> some ApplicationProtocol {
    let logger = runtime.logger(for: .booking)
    let database = try database ?? DatabaseProvider.make(for: .booking, settings: runtime.settings)
    // With PostgreSQL other replicas book too: an availability answer is reused for a second at most.
    let changes = BookingChanges(maxAge: database.isPostgreSQL ? .seconds(1) : nil)
    let rooms = FluentRoomRepository(provider: database, logger: logger, now: now, changes: changes)
    let bookings = FluentBookingRepository(
        provider: database, logger: logger, changes: changes, checkIn: CheckInRule(minutes: runtime.settings.checkInMinutes),
        approval: ApprovalRule(hours: runtime.settings.approvalHours, calendar: CampusCalendar(timeZone: runtime.settings.campusTimeZone)))
    let feeds = FluentCalendarFeedRepository(provider: database, logger: logger)
    let accounts = accounts ?? UserManagementAccounts(client: runtime.serviceClient(for: .booking), logger: logger)
    let closures = FluentRoomClosureRepository(provider: database, logger: logger, changes: changes)
    let waitlist = FluentWaitlistRepository(provider: database, logger: logger, changes: changes, checkIn: bookings.checkIn)
    let router = buildRouter(
        runtime: runtime, rooms: rooms, bookings: bookings, closures: closures, reminders: bookings, checkIns: bookings, approvals: bookings,
        waitlist: waitlist, feeds: feeds,
        accounts: accounts,
        now: now
    ) {
        try await database.checkReady(logger: logger)
    }

    runtime.watchOperations(of: .booking, database: database, outbox: true, logger: logger)
    var app = Application(
        router: router,
        server: runtime.httpServer,
        configuration: runtime.configuration(for: .booking),
        services: [
            database,
            OutboxDeliverer(database: database, client: runtime.serviceClient(for: .booking), logger: logger),
            PeriodicTask(name: "booking-reminders", every: .seconds(runtime.settings.reminderCheckSeconds), after: database, logger: logger) {
                let reminded = try await bookings.sendReminders(now: now())
                if !reminded.isEmpty { logger.info("Reminded of bookings", metadata: ["ids": "\(reminded.map(\.id))"]) }
            },
            PeriodicTask(name: "booking-release", every: .seconds(runtime.settings.releaseCheckSeconds), after: database, logger: logger) {
                // Released and expired first, so the slots they free are served in the same pass.
                let released = try await bookings.releaseNoShows(now: now())
                if !released.isEmpty { logger.info("Released bookings nobody checked in to", metadata: ["ids": "\(released.map(\.id))"]) }
                let expired = try await bookings.expireUndecided(now: now())
                if !expired.isEmpty { logger.info("Expired requests nobody decided", metadata: ["ids": "\(expired.map(\.id))"]) }
                let served = try await waitlist.serve(now: now())
                if !served.isEmpty { logger.info("Served the waiting list", metadata: ["entries": "\(served.map(\.id))"]) }
            },
        ],
        logger: logger
    )
    app.beforeServerStarts {
        try await database.migrate(BookingServiceModule.migrations, logger: logger)
    }
    return app
}

/// The middleware stack and every route of the booking service.
func buildRouter(
    runtime: ServiceRuntime, rooms: any RoomRepository, bookings: any BookingRepository, closures: any RoomClosureRepository,
    reminders: any BookingReminders, checkIns: any BookingCheckIns, approvals: any BookingApprovals, waitlist: any WaitlistRepository,
    feeds: any CalendarFeedRepository,
    accounts: any AccountDirectory,
    now: @escaping @Sendable () -> Date,
    databaseCheck: @escaping @Sendable () async throws -> Void
) -> Router<CampusRequestContext> {
    let grid = SlotGrid(settings: runtime.settings)
    let router = CampusRouter.make(
        .init(
            runtime: runtime, service: .booking, openAPISpec: BookingOpenAPI.document,
            healthChecks: ["database": databaseCheck]
        ))
    let roomGroup = router.group("/rooms", context: AuthenticatedContext.self)
    RoomsController(repository: rooms, accounts: accounts, now: now).addRoutes(to: roomGroup)
    let group = router.group("/bookings", context: AuthenticatedContext.self)
    RoomAdminController(bookings: bookings, closures: closures, rooms: rooms, planner: BookingPlanner(grid: grid), now: now)
        .addRoutes(rooms: roomGroup, bookings: group)
    AvailabilityController(bookings: bookings, grid: grid, now: now, cache: AvailabilityCache(changes: bookings.changes)).addRoutes(to: group)
    let calendars = CalendarController(bookings: bookings, rooms: rooms, feeds: feeds, accounts: accounts, now: now)
    calendars.addRoutes(to: group)
    calendars.addFeedRoutes(to: router)
    RemindersController(reminders: reminders, now: now).addRoutes(to: group)
    ApprovalsController(bookings: bookings, approvals: approvals, rooms: rooms, now: now).addRoutes(to: group)
    WaitlistController(waitlist: waitlist, planner: BookingPlanner(grid: grid), now: now).addRoutes(to: group)
    BookingsController(bookings: bookings, rooms: rooms, planner: BookingPlanner(grid: grid), checkIns: checkIns, now: now).addRoutes(to: group)
    RoomOutlookController(bookings: bookings, rooms: rooms, now: now).addRoutes(to: router.group("/internal", context: AuthenticatedContext.self))
    return router
}
