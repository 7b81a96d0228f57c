import BookingService
import CampusKit
import GPAService
import GatewayService
import MaintenanceService
import NotificationService
import UserService

/// Every service of the product. A new service plugs in with one line here.
enum ServiceCatalog {
    static let modules: [any CampusServiceModule.Type] = [
        GatewayServiceModule.self,
        UserServiceModule.self,
        BookingServiceModule.self,
        GPAServiceModule.self,
        NotificationServiceModule.self,
        MaintenanceServiceModule.self,
    ]

    static var names: [ServiceName] { modules.map { $0.name } }

    static func module(_ name: ServiceName) -> (any CampusServiceModule.Type)? {
        modules.first { $0.name == name }
    }
}
