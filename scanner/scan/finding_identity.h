// Finding identity for files: one id per logical location, never one id for two files.
//
// A file finding's id (model/fingerprint.h) is computed from an identity path: the name of the
// folder the target points at (a file target: its parent folder) and the path below it,
// `exports/contacts.csv`, so the same export in `a/` and in `public_share/` gives two ids,
// while moving the whole folder elsewhere keeps them. Date stamps in the file name and in the
// target's folder name are normalised (`exports/export-{date}.csv`, `{date}/contacts.csv`) so
// that next month's export keeps this month's id, but only where that does not make two
// files of the same scan look alike:
//  - targets whose folder names normalise alike (`2026-01/`, `2026-02/` in one scan) use the
//    names as they are, and folders with the same name (`x/exports`, `y/exports`) use the
//    target as typed;
//  - a dataset inside a file (an archive member `weekly-2026-01-05.zip!/Contact.csv`, a sheet
//    `book-2026-01.xlsx#Contacts`) has both names normalised;
//  - files of one target whose normalised paths coincide (export-2026-01.csv and
//    export-2026-02.csv side by side) keep their paths as they are;
//  - should two findings of different files still share an id, SeparateCollidingIds gives
//    each an id derived from it and the file's full identity path.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scanner/model/finding.h"
#include "scanner/scan/scan_plan.h"

namespace crmaudit {

// Target id → identity root (folder name, or the target as typed when names collide), for
// the file and directory targets of the plan.
std::map<std::string, std::string> IdentityRoots(const std::vector<PlannedTarget>& targets);

// Relative path → identity path for the files of one target.
std::map<std::string, std::string> IdentityPaths(const std::string& root,
                                                 const std::vector<std::string>& relatives);

// Re-keys file findings that share an id although they are in different files.
void SeparateCollidingIds(const std::map<std::string, std::string>& roots,
                          std::vector<Finding>* findings);

}  // namespace crmaudit
