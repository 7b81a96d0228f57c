import CampusKit
import Foundation
import Testing

@testable import GPAService

/// Retakes under each `GPA_RETAKE_POLICY`: which attempts count, the GPA that follows, and the
/// sentence that says why. Expected figures are worked by hand in the comments.
@Suite struct RetakeTests {
    func course(_ name: String, _ grade: String, _ credits: Decimal = 3, retakeOf: Int? = nil) -> GPACalculator.Course {
        .init(name: name, grade: grade, credits: credits, retakeOf: retakeOf)
    }

    func calculate(_ courses: [GPACalculator.Course], _ policy: RetakePolicy) throws -> GPACalculator.Result {
        try GPACalculator.calculate(courses: courses, previousGPA: nil, previousCredits: nil, policy: policy)
    }

    /// Calculus I taken twice (D, then B) beside Physics (A, 4 credits).
    var dThenB: [GPACalculator.Course] {
        [course("Calculus I", "D"), course("Physics", "A", 4), course("Calculus I", "B", retakeOf: 0)]
    }

    @Test func replaceCountsOnlyTheLatestAttempt() throws {
        let result = try calculate(dThenB, .replace)
        // B 3.0 × 3 + A 4.0 × 4 = 25 over 7 → 3.571… → 3.57 (the D counts nothing)
        #expect(result.gpa == Decimal(string: "3.57"))
        #expect(result.totalCredits == 7)
        #expect(result.courses.map(\.counts) == [false, true, true])
        #expect(result.courses[0].qualityPoints == nil && result.courses[0].gradePoints == 1)
        #expect(result.courses[0].note == "Replaced by the retake graded B.")
        #expect(result.courses[2].note == "Replaces the earlier D.")
        #expect(result.courses[1].note == nil)
        #expect(result.retakePolicy == .replace)
    }

    @Test func averageCountsTheCourseOnceWithTheMeanOfItsAttempts() throws {
        let result = try calculate(dThenB, .average)
        // mean of D 1.0 and B 3.0 = 2.0; 2.0 × 3 + 4.0 × 4 = 22 over 7 → 3.142… → 3.14
        #expect(result.gpa == Decimal(string: "3.14"))
        #expect(result.totalCredits == 7)
        #expect(result.courses[2].gradePoints == 2 && result.courses[2].qualityPoints == 6)
        #expect(result.courses[0].counts == false)
        #expect(result.courses[2].note == "Average of D (1.0) and B (3.0): 2.00.")
        #expect(result.courses[0].note == "Averaged into the retake graded B: the course counts once.")
        // three attempts, F, D, C: (0 + 1 + 2) / 3 = 1.00
        let three = try calculate([course("Chem", "F"), course("Chem", "D", retakeOf: 0), course("Chem", "C", retakeOf: 1)], .average)
        #expect(three.gpa == 1 && three.totalCredits == 3)
        #expect(three.courses.map(\.counts) == [false, false, true])
        // an average that does not end in whole hundredths: A- 3.7, C- 1.7, D+ 1.3 → 6.7 / 3 = 2.2333… → 2.23
        let odd = try calculate([course("Art", "A-"), course("Art", "C-", retakeOf: 0), course("Art", "D+", retakeOf: 1)], .average)
        #expect(odd.courses[2].gradePoints == Decimal(string: "2.23"))
        #expect(odd.gpa == Decimal(string: "2.23"))
    }

    @Test func replaceDFReplacesOnlyADOrF() throws {
        // an earlier D is replaced as under replace
        #expect(try calculate(dThenB, .replaceDF).gpa == Decimal(string: "3.57"))
        // an earlier C still counts beside the retake: C 2.0 × 3 + A 4.0 × 4 + B 3.0 × 3 = 31 over 10 → 3.10
        let cThenB = [course("Calculus I", "C"), course("Physics", "A", 4), course("Calculus I", "B", retakeOf: 0)]
        let result = try calculate(cThenB, .replaceDF)
        #expect(result.gpa == Decimal(string: "3.1") && result.totalCredits == 10)
        #expect(result.courses.map(\.counts) == [true, true, true])
        #expect(result.courses[0].note == "Still counts beside the retake: only a D or F is replaced.")
        #expect(result.courses[2].note == "Counts beside the earlier C.")
        // D, then C, then A: the C replaced the D; the A counts beside the C
        let dca = try calculate([course("Z", "D"), course("Z", "C", retakeOf: 0), course("Z", "A", retakeOf: 1)], .replaceDF)
        #expect(dca.courses.map(\.counts) == [false, true, true])
        #expect(dca.courses[0].note == "Replaced by the retake graded C: a D or F is replaced.")
        #expect(dca.courses[1].note == "Still counts beside the retake: only a D or F is replaced. Replaces the earlier D.")
        #expect(dca.courses[2].note == "Counts beside the earlier C.")
        // D- and F are replaced, D+ too; a C- is not
        for (grade, replaced) in [("D+", true), ("D-", true), ("F", true), ("C-", false)] {
            let pair = try calculate([course("X", grade), course("X", "A", retakeOf: 0)], .replaceDF)
            #expect(pair.courses[0].counts == !replaced, "\(grade)")
        }
        // F, then C, then B: the F is replaced, the C counts beside the B
        let chain = try calculate([course("Y", "F"), course("Y", "C", retakeOf: 0), course("Y", "B", retakeOf: 1)], .replaceDF)
        #expect(chain.courses.map(\.counts) == [false, true, true])
        #expect(chain.courses[0].note == "Replaced by the retake graded C: a D or F is replaced.")
        #expect(chain.courses[1].note == "Still counts beside the retake: only a D or F is replaced. Replaces the earlier F.")
        #expect(chain.courses[2].note == "Counts beside the earlier C.")
    }

    @Test(arguments: RetakePolicy.allCases)
    func aRetakeWithoutALetterGradeReplacesNothing(_ policy: RetakePolicy) throws {
        let result = try calculate([course("Stats", "D"), course("Stats", "W", retakeOf: 0)], policy)
        #expect(result.gpa == 1 && result.totalCredits == 3)
        #expect(result.courses.map(\.counts) == [true, false])
        #expect(result.courses[0].note == "Still counts: the later attempt (W) is not a letter grade.")
        #expect(result.courses[1].note == "W replaces nothing: it is not a letter grade.")
        // the other way round: a W, then a D retake
        let wThenD = try calculate([course("Stats", "W"), course("Stats", "D", retakeOf: 0)], policy)
        #expect(wThenD.courses.map(\.counts) == [false, true])
        #expect(wThenD.courses[0].note == "W counts toward no GPA: it is not a letter grade.")
        #expect(wThenD.courses[1].note == "Counts: the earlier W is not a letter grade.")
    }

    @Test(arguments: RetakePolicy.allCases)
    func coursesTakenOnceCountAsBefore(_ policy: RetakePolicy) throws {
        let result = try calculate([course("A", "A-", 4), course("B", "B+"), course("S", "P", 2)], policy)
        #expect(result.gpa == Decimal(string: "3.53"))
        #expect(result.courses.allSatisfy { $0.note == nil && $0.retakeOf == nil })
        #expect(result.courses.map(\.counts) == [true, true, false])
    }

    @Test func cumulativeGPAUsesTheCountedAttemptsOnly() throws {
        let result = try GPACalculator.calculate(courses: dThenB, previousGPA: 3, previousCredits: 30, policy: .replace)
        // (3.0 × 30 + 25) / 37 = 115 / 37 = 3.108… → 3.11
        #expect(result.cumulativeGPA == Decimal(string: "3.11"))
    }

    @Test func aRetakeMustNameOneEarlierAttemptAboveIt() throws {
        #expect(throws: GPARefusal.retakeNotAbove(course: 0, got: 0)) { try calculate([course("A", "B", retakeOf: 0)], .replace) }
        #expect(throws: GPARefusal.retakeNotAbove(course: 1, got: 2)) {
            try calculate([course("A", "B"), course("A", "C", retakeOf: 2), course("A", "D")], .replace)
        }
        #expect(throws: GPARefusal.retakeNotAbove(course: 1, got: -1)) { try calculate([course("A", "B"), course("A", "C", retakeOf: -1)], .replace) }
        #expect(throws: GPARefusal.alreadyRetaken(course: 2, earlier: 0, by: 1)) {
            try calculate([course("A", "F"), course("A", "D", retakeOf: 0), course("A", "C", retakeOf: 0)], .replace)
        }
        let problem = GPARefusal.alreadyRetaken(course: 2, earlier: 0, by: 1).problem
        #expect(problem.detail == "courses[2].retake_of: courses[0] is already retaken by courses[1]; a further retake is a retake of courses[1]")
    }
}
