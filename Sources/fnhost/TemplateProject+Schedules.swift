import FnhostRuntimes
import FnhostServer
import FnhostTemplate

extension TemplateProject {
    /// The template's enabled `Schedule` events as the rules `fnhost serve` fires, each named as SAM names the rule
    /// it generates: the function's logical id followed by the event's name.
    var scheduledRules: [ScheduledRule] {
        application.functions.flatMap { function in
            function.schedules.filter(\.enabled).map {
                ScheduledRule(
                    function: function.name, name: function.logicalID + $0.eventName, expression: $0.expression,
                    input: $0.input)
            }
        }
    }
}
