//===- SummaryDB.cpp ------------------------------------------------------===//
#include "db/SummaryDB.h"
#include "llvm/Support/FileSystem.h"
#include <map>
#include <sqlite3.h>

using llvm::StringRef;

namespace wqcheck {
namespace {

/// Bumped when a table changes: a database of another version is refused
/// (delete it and check again) rather than misread.
constexpr int SchemaVersion = 3;

const char *const Schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS units(unit TEXT PRIMARY KEY, written TEXT);
CREATE TABLE IF NOT EXISTS functions(unit TEXT, key TEXT, name TEXT,
  external INTEGER, file TEXT, line INTEGER, col INTEGER);
CREATE TABLE IF NOT EXISTS sleeps(unit TEXT, func TEXT, file TEXT,
  line INTEGER, col INTEGER, api TEXT, detail TEXT, via TEXT,
  gfp_param INTEGER, under TEXT);
CREATE TABLE IF NOT EXISTS calls(unit TEXT, caller TEXT, callee TEXT,
  slot TEXT, file TEXT, line INTEGER, col INTEGER, atomic TEXT,
  atomic_file TEXT, atomic_line INTEGER, atomic_col INTEGER, args TEXT,
  guarded INTEGER, under TEXT);
CREATE TABLE IF NOT EXISTS callbacks(unit TEXT, func TEXT, context TEXT,
  file TEXT, line INTEGER, col INTEGER, how TEXT);
CREATE TABLE IF NOT EXISTS slots(unit TEXT, slot TEXT, func TEXT, file TEXT,
  line INTEGER, col INTEGER);
CREATE TABLE IF NOT EXISTS edges(unit TEXT, caller TEXT, callee TEXT,
  takes TEXT);
CREATE TABLE IF NOT EXISTS workops(unit TEXT, func TEXT, item TEXT, op TEXT,
  file TEXT, line INTEGER, col INTEGER, root TEXT);
CREATE TABLE IF NOT EXISTS pending(unit TEXT, seq INTEGER, check_id TEXT,
  file TEXT, line INTEGER, col INTEGER, message TEXT, function TEXT,
  line_text TEXT, notes TEXT, item TEXT, opaque TEXT, root TEXT);
CREATE INDEX IF NOT EXISTS edges_unit ON edges(unit);
CREATE INDEX IF NOT EXISTS workops_unit ON workops(unit);
CREATE INDEX IF NOT EXISTS pending_unit ON pending(unit);
CREATE INDEX IF NOT EXISTS functions_unit ON functions(unit);
CREATE INDEX IF NOT EXISTS sleeps_unit ON sleeps(unit);
CREATE INDEX IF NOT EXISTS calls_unit ON calls(unit);
CREATE INDEX IF NOT EXISTS callbacks_unit ON callbacks(unit);
CREATE INDEX IF NOT EXISTS slots_unit ON slots(unit);
)sql";

const char *const Tables[] = {"functions", "sleeps", "calls",  "callbacks",
                              "slots",     "edges",  "workops", "pending",
                              "units"};

// Notes of a pending finding in one column: fields separated by \x1f,
// notes by \x1e.
std::string packNotes(const std::vector<FindingNote> &Notes) {
  std::string Out;
  for (const FindingNote &N : Notes) {
    if (!Out.empty())
      Out += '\x1e';
    Out += N.Where.File + '\x1f' + std::to_string(N.Where.Line) + '\x1f' +
           std::to_string(N.Where.Column) + '\x1f' + N.Message;
  }
  return Out;
}

std::vector<FindingNote> unpackNotes(StringRef S) {
  std::vector<FindingNote> Out;
  llvm::SmallVector<StringRef, 8> Notes, Fields;
  S.split(Notes, '\x1e', -1, false);
  for (StringRef N : Notes) {
    Fields.clear();
    N.split(Fields, '\x1f', 3);
    if (Fields.size() != 4)
      continue;
    unsigned Line = 0, Col = 0;
    Fields[1].getAsInteger(10, Line);
    Fields[2].getAsInteger(10, Col);
    Out.push_back({Position{Fields[0].str(), Line, Col}, Fields[3].str()});
  }
  return Out;
}

class Database {
public:
  ~Database() {
    if (DB)
      sqlite3_close(DB);
  }

  llvm::Error open(StringRef Path, bool Create) {
    this->Path = Path.str();
    if (!Create && !llvm::sys::fs::exists(Path))
      return fail("no such database");
    int Flags = SQLITE_OPEN_READWRITE | (Create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(this->Path.c_str(), &DB, Flags, nullptr) != SQLITE_OK)
      return fail(sqlite3_errmsg(DB));
    // Writers of a make -j wait for each other rather than fail.
    sqlite3_busy_timeout(DB, 120000);
    if (auto E = exec("PRAGMA journal_mode=WAL"))
      return E;
    if (auto E = exec("PRAGMA synchronous=NORMAL"))
      return E;
    return llvm::Error::success();
  }

  /// Creates the tables if needed and checks the schema version.
  llvm::Error prepare() {
    if (auto E = exec("BEGIN IMMEDIATE"))
      return E;
    if (auto E = exec(Schema))
      return rollback(std::move(E));
    int Version = -1;
    {
      Statement S(*this, "SELECT value FROM meta WHERE key='schema'");
      if (S.step())
        Version = sqlite3_column_int(S.S, 0);
    }
    if (Version == -1) {
      if (auto E = exec(("INSERT INTO meta VALUES('schema','" +
                         std::to_string(SchemaVersion) + "')")
                            .c_str()))
        return rollback(std::move(E));
    } else if (Version != SchemaVersion) {
      return rollback(fail("written by another version of wqcheck (schema " +
                           std::to_string(Version) + ", this one reads " +
                           std::to_string(SchemaVersion) +
                           "); delete it and check again"));
    }
    return exec("COMMIT");
  }

  llvm::Error exec(const char *SQL) {
    char *Msg = nullptr;
    if (sqlite3_exec(DB, SQL, nullptr, nullptr, &Msg) != SQLITE_OK) {
      std::string M = Msg ? Msg : sqlite3_errmsg(DB);
      sqlite3_free(Msg);
      return fail(M);
    }
    return llvm::Error::success();
  }

  llvm::Error rollback(llvm::Error E) {
    sqlite3_exec(DB, "ROLLBACK", nullptr, nullptr, nullptr);
    return E;
  }

  llvm::Error fail(const std::string &Why) const {
    return llvm::createStringError(std::errc::io_error,
                                   "summary database '%s': %s", Path.c_str(),
                                   Why.c_str());
  }

  /// A prepared statement; bind() with 1-based indices.
  struct Statement {
    Database &D;
    sqlite3_stmt *S = nullptr;
    int Next = 1;
    Statement(Database &D, const char *SQL) : D(D) {
      sqlite3_prepare_v2(D.DB, SQL, -1, &S, nullptr);
    }
    ~Statement() { sqlite3_finalize(S); }
    bool ok() const { return S != nullptr; }
    Statement &bind(StringRef T) {
      sqlite3_bind_text(S, Next++, T.data(), int(T.size()), SQLITE_TRANSIENT);
      return *this;
    }
    Statement &bind(int64_t V) {
      sqlite3_bind_int64(S, Next++, V);
      return *this;
    }
    Statement &bind(const Position &P) {
      return bind(P.File).bind(int64_t(P.Line)).bind(int64_t(P.Column));
    }
    /// Runs an INSERT/DELETE, ready for the next binding.
    bool run() {
      int RC = sqlite3_step(S);
      sqlite3_reset(S);
      sqlite3_clear_bindings(S);
      Next = 1;
      return RC == SQLITE_DONE;
    }
    /// Steps a SELECT; false at the end.
    bool step() { return S && sqlite3_step(S) == SQLITE_ROW; }
    std::string text(int I) const {
      const unsigned char *T = sqlite3_column_text(S, I);
      return T ? reinterpret_cast<const char *>(T) : "";
    }
    int64_t integer(int I) const { return sqlite3_column_int64(S, I); }
    Position position(int I) const {
      return Position{text(I), unsigned(integer(I + 1)),
                      unsigned(integer(I + 2))};
    }
  };

  sqlite3 *DB = nullptr;
  std::string Path;
};

} // namespace

llvm::Error storeUnit(StringRef Path, const UnitFacts &F) {
  Database D;
  if (auto E = D.open(Path, /*Create=*/true))
    return E;
  if (auto E = D.prepare())
    return E;
  if (auto E = D.exec("BEGIN IMMEDIATE"))
    return E;
  using S = Database::Statement;
  bool OK = true;
  for (const char *T : Tables) {
    S Del(D, (std::string("DELETE FROM ") + T + " WHERE unit=?").c_str());
    OK &= Del.ok() && Del.bind(F.Unit).run();
  }
  S Unit(D, "INSERT INTO units VALUES(?, datetime('now'))");
  OK &= Unit.ok() && Unit.bind(F.Unit).run();
  S Fn(D, "INSERT INTO functions VALUES(?,?,?,?,?,?,?)");
  for (const FunctionFact &X : F.Functions)
    OK &= Fn.ok() && Fn.bind(F.Unit)
                         .bind(X.Key)
                         .bind(X.Name)
                         .bind(int64_t(X.External))
                         .bind(X.Where)
                         .run();
  S Sl(D, "INSERT INTO sleeps VALUES(?,?,?,?,?,?,?,?,?,?)");
  for (const SleepFact &X : F.Sleeps)
    OK &= Sl.ok() && Sl.bind(F.Unit)
                         .bind(X.Function)
                         .bind(X.Where)
                         .bind(X.Api)
                         .bind(X.Detail)
                         .bind(X.Via)
                         .bind(int64_t(X.GfpParam))
                         .bind(X.Under)
                         .run();
  S Ca(D, "INSERT INTO calls VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const CallFact &X : F.Calls)
    OK &= Ca.ok() && Ca.bind(F.Unit)
                         .bind(X.Caller)
                         .bind(X.Callee)
                         .bind(X.Slot)
                         .bind(X.Where)
                         .bind(X.Atomic)
                         .bind(X.AtomicWhere)
                         .bind(X.Args)
                         .bind(int64_t(X.ContextGuarded))
                         .bind(X.Under)
                         .run();
  S Cb(D, "INSERT INTO callbacks VALUES(?,?,?,?,?,?,?)");
  for (const CallbackFact &X : F.Callbacks)
    OK &= Cb.ok() && Cb.bind(F.Unit)
                         .bind(X.Function)
                         .bind(X.Context)
                         .bind(X.Where)
                         .bind(X.How)
                         .run();
  S Sf(D, "INSERT INTO slots VALUES(?,?,?,?,?,?)");
  for (const SlotFact &X : F.Slots)
    OK &= Sf.ok() &&
          Sf.bind(F.Unit).bind(X.Slot).bind(X.Function).bind(X.Where).run();
  S Ed(D, "INSERT INTO edges VALUES(?,?,?,?)");
  for (const CallEdgeFact &X : F.Edges)
    OK &= Ed.ok() &&
          Ed.bind(F.Unit).bind(X.Caller).bind(X.Callee).bind(X.Takes).run();
  S Wo(D, "INSERT INTO workops VALUES(?,?,?,?,?,?,?,?)");
  for (const WorkOpFact &X : F.WorkOps)
    OK &= Wo.ok() && Wo.bind(F.Unit)
                         .bind(X.Function)
                         .bind(X.Item)
                         .bind(X.Op)
                         .bind(X.Where)
                         .bind(X.Root)
                         .run();
  S Pe(D, "INSERT INTO pending VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
  int64_t Seq = 0;
  for (const PendingFact &X : F.Pending) {
    std::string Opaque;
    for (const std::string &O : X.Opaque)
      Opaque += (Opaque.empty() ? "" : ",") + O;
    OK &= Pe.ok() && Pe.bind(F.Unit)
                         .bind(Seq++)
                         .bind(X.F.CheckId)
                         .bind(X.F.Where)
                         .bind(X.F.Message)
                         .bind(X.F.Function)
                         .bind(X.F.LineText)
                         .bind(packNotes(X.F.Notes))
                         .bind(X.Item)
                         .bind(Opaque)
                         .bind(X.Root)
                         .run();
  }
  if (!OK)
    return D.rollback(D.fail(sqlite3_errmsg(D.DB)));
  return D.exec("COMMIT");
}

llvm::Expected<std::vector<UnitFacts>> loadUnits(StringRef Path) {
  Database D;
  if (auto E = D.open(Path, /*Create=*/false))
    return E;
  if (auto E = D.prepare())
    return E;
  using S = Database::Statement;
  std::vector<UnitFacts> Units;
  std::map<std::string, size_t> Index;
  {
    S Q(D, "SELECT unit FROM units ORDER BY unit");
    while (Q.step()) {
      Index[Q.text(0)] = Units.size();
      Units.emplace_back();
      Units.back().Unit = Q.text(0);
    }
  }
  auto Of = [&](const std::string &U) -> UnitFacts * {
    auto It = Index.find(U);
    return It == Index.end() ? nullptr : &Units[It->second];
  };
  {
    S Q(D, "SELECT unit,key,name,external,file,line,col FROM functions");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Functions.push_back(
            {Q.text(1), Q.text(2), Q.integer(3) != 0, Q.position(4)});
  }
  {
    S Q(D, "SELECT unit,func,file,line,col,api,detail,via,gfp_param,under "
           "FROM sleeps");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Sleeps.push_back({Q.text(1), Q.position(2), Q.text(5), Q.text(6),
                             Q.text(7), int(Q.integer(8)), Q.text(9)});
  }
  {
    S Q(D, "SELECT unit,caller,callee,slot,file,line,col,atomic,atomic_file,"
           "atomic_line,atomic_col,args,guarded,under FROM calls");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Calls.push_back({Q.text(1), Q.text(2), Q.text(3), Q.position(4),
                            Q.text(7), Q.position(8), Q.text(11),
                            Q.integer(12) != 0, Q.text(13)});
  }
  {
    S Q(D, "SELECT unit,func,context,file,line,col,how FROM callbacks");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Callbacks.push_back(
            {Q.text(1), Q.text(2), Q.position(3), Q.text(6)});
  }
  {
    S Q(D, "SELECT unit,slot,func,file,line,col FROM slots");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Slots.push_back({Q.text(1), Q.text(2), Q.position(3)});
  }
  {
    S Q(D, "SELECT unit,caller,callee,takes FROM edges");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->Edges.push_back({Q.text(1), Q.text(2), Q.text(3)});
  }
  {
    S Q(D, "SELECT unit,func,item,op,file,line,col,root FROM workops");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0)))
        U->WorkOps.push_back(
            {Q.text(1), Q.text(2), Q.text(3), Q.position(4), Q.text(7)});
  }
  {
    S Q(D, "SELECT unit,check_id,file,line,col,message,function,line_text,"
           "notes,item,opaque,root FROM pending ORDER BY unit,seq");
    while (Q.step())
      if (UnitFacts *U = Of(Q.text(0))) {
        PendingFact P;
        P.F.CheckId = Q.text(1);
        P.F.Where = Q.position(2);
        P.F.Spelled = P.F.Where.File;
        P.F.Message = Q.text(5);
        P.F.Function = Q.text(6);
        P.F.LineText = Q.text(7);
        P.F.Notes = unpackNotes(Q.text(8));
        P.Item = Q.text(9);
        P.Root = Q.text(11);
        std::string Opaque = Q.text(10);
        llvm::SmallVector<StringRef, 4> Names;
        StringRef(Opaque).split(Names, ',', -1, false);
        for (StringRef N : Names)
          P.Opaque.push_back(N.str());
        U->Pending.push_back(std::move(P));
      }
  }
  return Units;
}

llvm::Error mergeDatabases(StringRef Out, llvm::ArrayRef<std::string> Inputs) {
  for (const std::string &In : Inputs) {
    // Reading an input checks that it exists and has this schema.
    Database Src;
    if (auto E = Src.open(In, /*Create=*/false))
      return E;
    if (auto E = Src.prepare())
      return E;
  }
  Database D;
  if (auto E = D.open(Out, /*Create=*/true))
    return E;
  if (auto E = D.prepare())
    return E;
  for (const std::string &In : Inputs) {
    {
      Database::Statement A(D, "ATTACH DATABASE ? AS src");
      if (!A.ok() || !A.bind(In).run())
        return D.fail("cannot attach '" + In + "': " + sqlite3_errmsg(D.DB));
    }
    std::string SQL = "BEGIN IMMEDIATE;";
    for (const char *T : Tables)
      SQL += std::string("DELETE FROM main.") + T +
             " WHERE unit IN (SELECT unit FROM src.units);";
    for (const char *T : Tables)
      SQL += std::string("INSERT INTO main.") + T + " SELECT * FROM src." + T +
             ";";
    SQL += "COMMIT;";
    llvm::Error E = D.exec(SQL.c_str());
    if (E)
      E = D.rollback(std::move(E));
    if (auto E2 = D.exec("DETACH DATABASE src")) {
      if (E)
        return E;
      return E2;
    }
    if (E)
      return E;
  }
  return llvm::Error::success();
}

} // namespace wqcheck
