import CampusKit
import Foundation
import Testing

@testable import GPAService

/// The arithmetic, without HTTP.
@Suite struct GPACalculatorTests {
    func course(_ grade: String, _ credits: String, _ name: String = "Course") -> GPACalculator.Course {
        .init(name: name, grade: grade, credits: Decimal(string: credits)!)
    }

    func gpa(_ courses: [GPACalculator.Course]) throws -> Decimal {
        try GPACalculator.calculate(courses: courses, previousGPA: nil, previousCredits: nil).gpa
    }

    @Test(arguments: [
        ("A+", "4"), ("A", "4"), ("A-", "3.7"), ("B+", "3.3"), ("B", "3"), ("B-", "2.7"), ("C+", "2.3"), ("C", "2"),
        ("C-", "1.7"), ("D+", "1.3"), ("D", "1"), ("D-", "0.7"), ("F", "0"),
    ])
    func everyLetterGradeHasItsPoints(grade: String, points: String) throws {
        #expect(try gpa([course(grade, "3")]) == Decimal(string: points))
        #expect(try gpa([course(" \(grade.lowercased()) ", "3")]) == Decimal(string: points))
    }

    @Test func passWithdrawnAndIncompleteCountTowardNothing() throws {
        let result = try GPACalculator.calculate(
            courses: [course("A", "3"), course("P", "4"), course("NP", "2"), course("W", "3"), course("I", "1"), course("C", "3")],
            previousGPA: nil, previousCredits: nil
        )
        #expect(result.gpa == 3)
        #expect(result.totalCredits == 6)
        #expect(result.qualityPoints == 18)
        #expect(result.courses[1].gradePoints == nil && result.courses[1].qualityPoints == nil)
        #expect(result.courses[0].qualityPoints == 12)
    }

    /// Hand-computed cases where binary floating point rounds the wrong way or drifts.
    @Test(arguments: [
        // 3.3 × 3 + 2.7 × 1 = 12.6 over 4 credits = 3.15 exactly; in doubles 3.1499999999999995, which truncating code turns into 3.14.
        ([("B+", "3"), ("B-", "1")], "3.15"),
        // 2.3 × 1 + 2.7 × 1 + 3.7 × 2 = 12.4 over 4 = 3.1 exactly.
        ([("C+", "1"), ("B-", "1"), ("A-", "2")], "3.1"),
        // 0.7 × 0.5 + 1.3 × 1.5 = 2.3 over 2 = 1.15 exactly (doubles: 1.1500000000000001).
        ([("D-", "0.5"), ("D+", "1.5")], "1.15"),
        // 3.7 × 1 + 3.3 × 2 = 10.3 over 3 = 3.4333… → 3.43.
        ([("A-", "1"), ("B+", "2")], "3.43"),
        // 4 × 2 + 3.7 × 1 = 11.7 over 3 = 3.9 exactly.
        ([("A", "2"), ("A-", "1")], "3.9"),
        // 3.3 × 1 + 3 × 1 + 2.7 × 1 + 4 × 5 = 29 over 8 = 3.625 → 3.63 half up (round-half-even, Python's round, gives 3.62).
        ([("B+", "1"), ("B", "1"), ("B-", "1"), ("A", "5")], "3.63"),
        // 1.7 × 3 + 2.3 × 5 = 16.6 over 8 = 2.075 → 2.08 exactly, whatever the representation.
        ([("C-", "3"), ("C+", "5")], "2.08"),
    ])
    func mixedPlusMinusCasesRoundHalfUpFromExactDecimals(courses: [(String, String)], expected: String) throws {
        #expect(try gpa(courses.map { course($0.0, $0.1) }) == Decimal(string: expected))
    }

    @Test func cumulativeGPAWeighsThePreviousRecord() throws {
        // (3.5 × 30 + 3 × 15) / 45 = 150 / 45 = 3.333… → 3.33
        let result = try GPACalculator.calculate(courses: [course("B", "15")], previousGPA: Decimal(string: "3.5"), previousCredits: 30)
        #expect(result.gpa == 3)
        #expect(result.cumulativeGPA == Decimal(string: "3.33"))
        let alone = try GPACalculator.calculate(courses: [course("B", "15")], previousGPA: nil, previousCredits: nil)
        #expect(alone.cumulativeGPA == alone.gpa)
        let zeroBefore = try GPACalculator.calculate(courses: [course("A-", "3")], previousGPA: 0, previousCredits: 0)
        #expect(zeroBefore.cumulativeGPA == Decimal(string: "3.7"))
    }

    @Test func planSaysWhatIsNeededAndWhetherItIsReachable() throws {
        // (3.5 × 60 − 3 × 30) / 30 = 4.0 exactly: reachable.
        let edge = try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: Decimal(string: "3.5")!, remainingCredits: 30)
        #expect(edge.requiredGPA == 4 && edge.achievable)
        // (3.8 × 60 − 3 × 30) / 30 = 4.6: out of reach.
        let far = try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: Decimal(string: "3.8")!, remainingCredits: 30)
        #expect(far.requiredGPA == Decimal(string: "4.6") && !far.achievable)
        // Already above target: required below 0, achievable.
        let met = try GPACalculator.plan(currentGPA: 4, currentCredits: 90, targetGPA: 2, remainingCredits: 10)
        #expect(met.requiredGPA == -16 && met.achievable)  // (2 × 100 − 4 × 90) / 10
        // 4.0001 rounds to 4.00 but is still out of reach.
        let hair = try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: Decimal(string: "3.50001")!, remainingCredits: 30)
        #expect(hair.requiredGPA == 4 && !hair.achievable)
    }

    @Test func invalidInputNamesTheFieldAndTheCourse() throws {
        func detail(_ body: () throws -> Any) -> String? {
            do {
                _ = try body()
                return nil
            } catch let refusal as GPARefusal {
                let error = refusal.problem
                return error.status == .unprocessableContent ? error.detail : "status \(error.status)"
            } catch { return "\(error)" }
        }
        #expect(detail { try gpa([course("A", "3"), course("B", "3"), course("E", "3")]) }?.hasPrefix(#"courses[2].grade: unknown grade "E""#) == true)
        #expect(detail { try gpa([course("A", "0")]) }?.hasPrefix("courses[0].credits:") == true)
        #expect(detail { try gpa([course("A", "-1")]) }?.hasPrefix("courses[0].credits:") == true)
        #expect(detail { try gpa([course("A", "30.5")]) }?.hasPrefix("courses[0].credits:") == true)
        #expect(detail { try gpa([]) }?.hasPrefix("courses:") == true)
        #expect(detail { try gpa([course("P", "3"), course("W", "3")]) }?.hasPrefix("courses:") == true)
        #expect(detail { try gpa(Array(repeating: course("A", "1"), count: 101)) }?.hasPrefix("courses:") == true)
        #expect(detail { try GPACalculator.calculate(courses: [course("A", "3")], previousGPA: 5, previousCredits: 10) }?.hasPrefix("previous_gpa:") == true)
        #expect(
            detail { try GPACalculator.calculate(courses: [course("A", "3")], previousGPA: 3, previousCredits: nil) }?.hasPrefix("previous_credits:") == true)
        #expect(
            detail { try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: Decimal(string: "4.1")!, remainingCredits: 30) }?.hasPrefix(
                "target_gpa:") == true)
        #expect(detail { try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: -1, remainingCredits: 30) }?.hasPrefix("target_gpa:") == true)
        #expect(
            detail { try GPACalculator.plan(currentGPA: 3, currentCredits: 30, targetGPA: 3, remainingCredits: 0) }?.hasPrefix("remaining_credits:") == true)
    }

    @Test func aHundredCoursesAreAccepted() throws {
        let courses = (0..<100).map { course($0 % 2 == 0 ? "A" : "B", "3", "Course \($0)") }
        let result = try GPACalculator.calculate(courses: courses, previousGPA: nil, previousCredits: nil)
        #expect(result.courses.count == 100)
        #expect(result.gpa == Decimal(string: "3.5"))
        #expect(result.totalCredits == 300)
    }
}
